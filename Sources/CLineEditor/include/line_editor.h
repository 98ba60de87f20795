// A line editor for the REPL on libedit: el_set, el_get and history are variadic, which
// Swift does not import, so the calls live here. Ctrl-C while editing is a key that
// discards the line; Tab asks Swift for completions.
#ifndef KOLOM_LINE_EDITOR_H
#define KOLOM_LINE_EDITOR_H

#include <stddef.h>

typedef struct kolom_editor kolom_editor;

/// Completions of the text before the cursor: returns a malloc'ed string of candidates
/// separated by '\n' (or NULL for none) and sets *word_length to how many characters
/// at the end of `before_cursor` the candidates replace.
typedef char *(*kolom_completer)(void *context, const char *before_cursor, int *word_length);

/// Opens an editor on the terminal. `history_file` (NULL: history only in memory) is
/// loaded now and saved after every entry, with mode 0600.
kolom_editor *kolom_editor_open(const char *program, const char *history_file, kolom_completer completer,
                                void *context);

/// One line with `prompt`, without its newline; NULL at end of input (Ctrl-D on an
/// empty line). *interrupted is 1 when Ctrl-C ended the line (its text is discarded).
/// The string stays valid until the next call.
const char *kolom_editor_gets(kolom_editor *editor, const char *prompt, int *interrupted);

/// Adds one entry (a whole statement) to the history, and saves it when there is a file.
void kolom_editor_add_history(kolom_editor *editor, const char *entry);

/// Removes every history entry that contains `text` (from memory, and from the file,
/// which is written again): the line that set a parameter to a client number.
void kolom_editor_forget(kolom_editor *editor, const char *text);

/// The history entries, newest first, as a malloc'ed '\0'-separated list ending in an
/// empty string (for .history).
char *kolom_editor_history(kolom_editor *editor);

void kolom_editor_close(kolom_editor *editor);

#endif
