// swift-tools-version:6.0
// Kolom: an embedded columnar query engine for the national monitor of the
// Regionale Expertteams. The targets follow the pipeline of DESIGN.md:
// C libraries ◄ KolomFormat ◄ KolomStore ◄ … ◄ kolom.
import Foundation
import PackageDescription

let package = Package(
  name: "Kolom",
  products: [
    .executable(name: "kolom", targets: ["kolom"]),
    .library(name: "KolomFormat", targets: ["KolomFormat"]),
    .library(name: "KolomStore", targets: ["KolomStore"]),
    .library(name: "Kolom", targets: ["Kolom"]),
  ],
  targets: [
    // Debian's C libraries, through system library targets (Makefile installs them).
    .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
    // xxHash is used header-only (XXH_INLINE_ALL in its shim): faster than the .so.
    .systemLibrary(name: "CXXHash", pkgConfig: "libxxhash", providers: [.apt(["libxxhash-dev"])]),
    // libcrypto: HMAC-SHA256 pseudonyms, the change log's SHA-256 chain, random keys.
    .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
    // libedit for the REPL, and the C calls Swift cannot make (el_set, el_get and history are variadic).
    .systemLibrary(name: "CEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
    .target(name: "CLineEditor", dependencies: ["CEdit"]),
    // glibc's mallopt, header-only (part of libc).
    .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
    // SQLite is the oracle of the differential query tests, and linked by them only.
    .systemLibrary(
      name: "CSQLite", path: "Tests/CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

    .target(name: "KolomFormat", dependencies: ["CLZ4", "CXXHash"]),
    .target(
      name: "KolomStore", dependencies: ["KolomFormat", "COpenSSL"],
      resources: [.copy("Schemas")]),
    .target(name: "KolomQuery", dependencies: ["KolomFormat", "KolomStore"]),
    .target(name: "Kolom", dependencies: ["KolomQuery", "KolomStore", "CMalloc"]),
    .target(name: "KolomGenerator", dependencies: ["KolomStore"]),
    .executableTarget(name: "kolom", dependencies: ["Kolom", "KolomFormat", "KolomGenerator", "CLineEditor"]),
    // The embedding example (examples/): a program that uses the Kolom library only.
    .executableTarget(name: "monitor-report", dependencies: ["Kolom"], path: "examples/monitor-report"),
    .executableTarget(
      name: "KolomBench", dependencies: ["Kolom", "KolomFormat", "KolomStore", "KolomGenerator"],
      path: "Benchmarks/KolomBench"),

    .testTarget(name: "KolomFormatTests", dependencies: ["KolomFormat"]),
    .testTarget(name: "KolomStoreTests", dependencies: ["KolomStore", "KolomGenerator"], exclude: ["Fixtures"]),
    .testTarget(name: "kolomTests", dependencies: ["KolomStore", "KolomFormat", "KolomGenerator"]),
    .testTarget(
      name: "KolomQueryTests", dependencies: ["Kolom", "KolomQuery", "KolomFormat", "KolomGenerator", "CSQLite"],
      resources: [.copy("Scripts")]),
    .testTarget(name: "KolomGeneratorTests", dependencies: ["KolomGenerator", "KolomStore", "KolomFormat"]),
  ]
)

// The fuzz target has no main (libFuzzer supplies it), so declaring it always
// would break a plain `swift build`; `make fuzz` sets KOLOM_FUZZ.
if ProcessInfo.processInfo.environment["KOLOM_FUZZ"] != nil {
  // SwiftPM's --sanitize fuzzer links libFuzzer but leaves library targets without
  // coverage counters; give KolomFormat its own, so the fuzzer is guided.
  for target in package.targets where target.name == "KolomFormat" {
    target.swiftSettings = [.unsafeFlags(["-sanitize=fuzzer,address", "-parse-as-library"])]
  }
  package.targets.append(
    .executableTarget(
      name: "SegmentReaderFuzz", dependencies: ["KolomFormat"], path: "Fuzz/SegmentReaderFuzz",
      swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
}
