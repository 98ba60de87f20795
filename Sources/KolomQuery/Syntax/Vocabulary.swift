// Vocabulary: the words of the language, for completion and help in front ends.

/// The keywords and functions of the query language.
public enum Vocabulary {
  /// The reserved words, upper-case, sorted.
  public static var keywords: [String] { Token.keywords.sorted() }
  /// Aggregate functions and how they are called.
  public static var aggregates: [String: String] { FunctionCatalog.aggregates }
  /// Scalar functions and how they are called.
  public static var scalars: [String: String] { FunctionCatalog.scalars }
}
