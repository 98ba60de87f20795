// The example program of examples/ (built with the package) runs on a generated store
// and reports what kolom query finds for the same questions.
import Foundation
import Testing

@Suite struct ExampleProgramTests {
  @Test func theExampleProgramReportsWhatKolomQueryFinds() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(atPath: store) }
    #expect(try kolom(["init", store]).status == 0)
    #expect(try kolom(["generate", store, "--records", "20000", "--seed", "5"]).status == 0)

    let report = try run(builtExecutable("monitor-report"), [store])
    #expect(report.status == 0, "\(report.error)")
    let lines = report.output.split(separator: "\n").map(String.init)

    // The three largest regions by closed cases of the latest year, as kolom query has them.
    let year = try kolom(["query", store, "--format", "csv", "-c", "SELECT max(year(datum)) FROM cases"])
      .output.split(separator: "\n")[1]
    let top = try kolom([
      "query", store, "--format", "csv", "--param", "jaar=\(year)", "-c",
      """
      SELECT regio, count(DISTINCT clientnummer), median(days_between(datum_aanmelding, datum_afsluiting))
      FROM cases WHERE fase = 'afsluiting' AND year(datum) = :jaar
      GROUP BY regio ORDER BY 2 DESC, regio LIMIT 3
      """,
    ]).output.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
    #expect(lines.first == "closed cases in \(year), the three largest regions:")
    #expect(top.count == 3)
    for (line, row) in zip(lines.dropFirst(), top) {
      let days = String(format: "%.0f", Double(row[2]) ?? -1)
      #expect(line == "  \(row[0]): \(row[1]) cases, median \(days) days from registration to closure")
    }
    #expect(lines.contains("role ret JZ13 sees the regions JZ13"))
    #expect(lines.contains("error at 1:42: unknown code 'JZ1' for regio; did you mean 'JZ01'?"), "\(lines)")
    #expect(lines.last == "cancelled")
  }

  @Test func theExampleProgramSaysWhenItCannotOpenTheStore() throws {
    let report = try run(builtExecutable("monitor-report"), ["/nonexistent/store"])
    #expect(report.status == 1)
    #expect(report.error.hasPrefix("monitor-report: cannot open /nonexistent/store"), "\(report.error)")
  }
}
