// docs/query-language.md is tested: every ```sql block runs on the generated test
// store and gives the same rows as SQLite, every ```sql error block gives exactly the
// error shown under it, and the grammar lists every production of the parser as the
// parser's comments state it.
import Foundation
import Kolom
import Testing

@Suite struct DocumentationTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let page = try! String(contentsOf: root.appendingPathComponent("docs/query-language.md"), encoding: .utf8)
  /// The parameters the page's examples use (and docs/refresh-examples.py passes).
  static let parameters: [String: Value] = ["regio": .text("JZ13"), "jaar": .int(2024)]

  /// The page's ```sql blocks: the query, whether it is an error example, and the
  /// ```text block that follows it.
  static let examples: [(sql: String, isError: Bool, shown: String?)] = {
    let pattern = try! NSRegularExpression(
      pattern: "```sql( error)?\\n(.*?)\\n```(?:\\n\\n```text\\n(.*?)\\n```)?", options: [.dotMatchesLineSeparators])
    let text = page as NSString
    return pattern.matches(in: page, range: NSRange(location: 0, length: text.length)).map { match in
      func group(_ i: Int) -> String? {
        match.range(at: i).location == NSNotFound ? nil : text.substring(with: match.range(at: i))
      }
      return (group(2)!, group(1) != nil, group(3))
    }
  }()

  @Test func everyQueryOfThePageRunsAndAgreesWithSQLite() throws {
    let queries = Self.examples.filter { !$0.isError }
    #expect(queries.count >= 10, "found \(queries.count) examples")
    for example in queries {
      if example.sql.uppercased().hasPrefix("EXPLAIN") {
        let plan = try QueryFixtures.large.query(example.sql, parameters: Self.parameters)
        #expect(plan.rows.first == [.text("scan cases")], "\(plan.rows)")
        continue
      }
      do {
        let mismatch = try DifferentialPair.large.mismatch(example.sql, parameters: Self.parameters)
        #expect(mismatch == nil, "\(example.sql)")
      } catch let error as QueryError {
        Issue.record("\(error.rendered(in: example.sql))")
      }
    }
  }

  @Test func everyErrorOfThePageIsTheErrorShown() throws {
    let errors = Self.examples.filter(\.isError)
    #expect(errors.count >= 5, "found \(errors.count) error examples")
    for example in errors {
      do {
        _ = try QueryFixtures.large.query(example.sql, parameters: Self.parameters)
        Issue.record("no error for \(example.sql)")
      } catch let error as QueryError {
        #expect(error.rendered(in: example.sql) == example.shown, "\(example.sql)")
      }
    }
  }

  /// Every `// name -> …` production in the parser's sources (with its continuation
  /// lines) appears in the page's grammar, whitespace aside.
  @Test func theGrammarIsTheParsers() throws {
    var productions: [String] = []
    for file in ["Parser.swift", "Parser+Expressions.swift", "Lexer.swift"] {
      let url = Self.root.appendingPathComponent("Sources/KolomQuery/Syntax").appendingPathComponent(file)
      var current: String? = nil
      for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
      {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let isComment = trimmed.hasPrefix("// ") && !trimmed.hasPrefix("///")
        let body = isComment ? String(trimmed.dropFirst(3)) : ""
        if isComment, body.range(of: #"^\w+ ->"#, options: .regularExpression) != nil {
          if let current { productions.append(current) }
          current = body
        } else if isComment, let open = current, body.hasPrefix(" ") || body.hasPrefix("|") || body.hasPrefix("[") {
          current = open + " " + body
        } else {
          if let current { productions.append(current) }
          current = nil
        }
      }
    }
    #expect(productions.count >= 20, "found \(productions.count) productions")
    func squeezed(_ s: String) -> String { s.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
    let grammar = squeezed(Self.page)
    for production in productions {
      #expect(grammar.contains(squeezed(production)), "the page lacks: \(production)")
    }
  }
}
