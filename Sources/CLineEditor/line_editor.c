// libedit for the REPL: see include/line_editor.h.
#include "line_editor.h"

#include <fcntl.h>
#include <histedit.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct kolom_editor {
  EditLine *el;
  History *hist;
  HistEvent event;
  char *history_file;
  char *prompt;
  char *line;
  int interrupted;
  kolom_completer completer;
  void *context;
};

static char *prompt_of(EditLine *el) {
  kolom_editor *e;
  el_get(el, EL_CLIENTDATA, &e);
  return e->prompt ? e->prompt : "";
}

// Ctrl-C while editing: end the line, and tell the caller to throw it away.
static unsigned char on_interrupt(EditLine *el, int ch) {
  (void)ch;
  kolom_editor *e;
  el_get(el, EL_CLIENTDATA, &e);
  e->interrupted = 1;
  return CC_NEWLINE;
}

// Tab: insert the candidates' common prefix; with several and nothing to add, list them.
static unsigned char on_complete(EditLine *el, int ch) {
  (void)ch;
  kolom_editor *e;
  el_get(el, EL_CLIENTDATA, &e);
  if (!e->completer) return CC_ERROR;
  const LineInfo *info = el_line(el);
  size_t before = (size_t)(info->cursor - info->buffer);
  char *text = malloc(before + 1);
  if (!text) return CC_ERROR;
  memcpy(text, info->buffer, before);
  text[before] = '\0';
  int word = 0;
  char *list = e->completer(e->context, text, &word);
  free(text);
  if (!list || !*list) {
    free(list);
    return CC_ERROR;
  }
  // The candidates and their common prefix.
  size_t count = 1;
  for (char *p = list; *p; p++) if (*p == '\n') count++;
  size_t common = strcspn(list, "\n");
  for (char *p = strchr(list, '\n'); p; p = strchr(p + 1, '\n')) {
    char *next = p + 1;
    size_t i = 0;
    while (i < common && next[i] && next[i] != '\n' && next[i] == list[i]) i++;
    common = i;
  }
  unsigned char result = CC_REFRESH;
  if ((int)common > word || count == 1) {
    el_deletestr(el, word);
    char *insert = strndup(list, common);
    if (insert) {
      if (count == 1) {
        char *spaced = malloc(common + 2);
        if (spaced) {
          memcpy(spaced, insert, common);
          spaced[common] = ' ';
          spaced[common + 1] = '\0';
          el_insertstr(el, spaced);
          free(spaced);
        }
      } else {
        el_insertstr(el, insert);
      }
      free(insert);
    }
  } else {
    fputc('\n', stdout);
    for (char *p = list; *p;) {
      size_t n = strcspn(p, "\n");
      fprintf(stdout, "%.*s  ", (int)n, p);
      p += n;
      if (*p == '\n') p++;
    }
    fputc('\n', stdout);
    fflush(stdout);
    result = CC_REDISPLAY;
  }
  free(list);
  return result;
}

// The history file, created (or narrowed) to mode 0600 before libedit writes it.
static void protect(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT, 0600);
  if (fd >= 0) {
    fchmod(fd, 0600);
    close(fd);
  }
}

kolom_editor *kolom_editor_open(const char *program, const char *history_file, kolom_completer completer,
                                void *context) {
  kolom_editor *e = calloc(1, sizeof *e);
  if (!e) return NULL;
  setlocale(LC_CTYPE, "");  // without it libedit drops non-ASCII input
  e->el = el_init(program, stdin, stdout, stderr);
  e->hist = history_init();
  if (!e->el || !e->hist) {
    kolom_editor_close(e);
    return NULL;
  }
  e->completer = completer;
  e->context = context;
  history(e->hist, &e->event, H_SETSIZE, 1000);
  history(e->hist, &e->event, H_SETUNIQUE, 1);
  if (history_file) {
    e->history_file = strdup(history_file);
    protect(e->history_file);
    history(e->hist, &e->event, H_LOAD, e->history_file);
  }
  el_set(e->el, EL_CLIENTDATA, e);
  el_set(e->el, EL_EDITOR, "emacs");
  el_set(e->el, EL_HIST, history, e->hist);
  el_set(e->el, EL_PROMPT, prompt_of);
  el_set(e->el, EL_SIGNAL, 1);
  el_set(e->el, EL_SETTY, "-d", "-isig", NULL);  // Ctrl-C is a key while editing
  el_set(e->el, EL_ADDFN, "kolom-interrupt", "discard the line", on_interrupt);
  el_set(e->el, EL_BIND, "^C", "kolom-interrupt", NULL);
  el_set(e->el, EL_ADDFN, "kolom-complete", "complete a name or code", on_complete);
  el_set(e->el, EL_BIND, "^I", "kolom-complete", NULL);
  el_set(e->el, EL_BIND, "^R", "em-inc-search-prev", NULL);
  return e;
}

const char *kolom_editor_gets(kolom_editor *e, const char *prompt, int *interrupted) {
  free(e->prompt);
  e->prompt = strdup(prompt);
  e->interrupted = 0;
  int count = 0;
  const char *line = el_gets(e->el, &count);
  *interrupted = e->interrupted;
  if (e->interrupted) {
    fputc('\n', stdout);
    fflush(stdout);
    return "";
  }
  if (!line || count <= 0) return NULL;
  free(e->line);
  e->line = strndup(line, (size_t)count);
  if (!e->line) return NULL;
  size_t n = strlen(e->line);
  if (n > 0 && e->line[n - 1] == '\n') e->line[n - 1] = '\0';
  return e->line;
}

void kolom_editor_add_history(kolom_editor *e, const char *entry) {
  history(e->hist, &e->event, H_ENTER, entry);
  if (e->history_file) {
    protect(e->history_file);
    history(e->hist, &e->event, H_SAVE, e->history_file);
    chmod(e->history_file, 0600);
  }
}

void kolom_editor_forget(kolom_editor *e, const char *text) {
  HistEvent ev;
  size_t count = 0, kept = 0;
  for (int r = history(e->hist, &ev, H_FIRST); r != -1; r = history(e->hist, &ev, H_NEXT)) count++;
  char **keep = calloc(count ? count : 1, sizeof *keep);
  if (!keep) return;
  int removed = 0;
  // Oldest first (H_LAST, then H_PREV towards the newest), as they are entered again.
  for (int r = history(e->hist, &ev, H_LAST); r != -1; r = history(e->hist, &ev, H_PREV)) {
    if (strstr(ev.str, text)) {
      removed = 1;
    } else if (kept < count) {
      keep[kept++] = strdup(ev.str);
    }
  }
  if (removed) {
    history(e->hist, &ev, H_CLEAR);
    for (size_t i = 0; i < kept; i++) {
      if (keep[i]) history(e->hist, &ev, H_ENTER, keep[i]);
    }
    if (e->history_file) {
      protect(e->history_file);
      history(e->hist, &ev, H_SAVE, e->history_file);
      chmod(e->history_file, 0600);
    }
  }
  for (size_t i = 0; i < kept; i++) free(keep[i]);
  free(keep);
}

char *kolom_editor_history(kolom_editor *e) {
  size_t size = 1, used = 0;
  char *out = malloc(size);
  if (!out) return NULL;
  HistEvent ev;
  for (int r = history(e->hist, &ev, H_FIRST); r != -1; r = history(e->hist, &ev, H_NEXT)) {
    size_t n = strlen(ev.str) + 1;
    char *grown = realloc(out, size + n);
    if (!grown) break;
    out = grown;
    memcpy(out + used, ev.str, n);
    used += n;
    size += n;
  }
  out[used] = '\0';
  return out;
}

void kolom_editor_close(kolom_editor *e) {
  if (!e) return;
  if (e->el) el_end(e->el);
  if (e->hist) history_end(e->hist);
  free(e->history_file);
  free(e->prompt);
  free(e->line);
  free(e);
}
