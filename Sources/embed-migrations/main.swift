import Foundation

// Writes a Swift file holding each migration's name and SQL (base64, so any byte survives).
// Usage: embed-migrations OUTPUT.swift FILE.sql...
let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: embed-migrations OUTPUT.swift FILE.sql...\n".utf8))
    exit(2)
}
var source = "// Generated at build time from Migrations/*.sql by embed-migrations. Do not edit.\n"
source += "package let embeddedMigrationFiles: [(name: String, base64: String)] = [\n"
for path in arguments.dropFirst() {
    let url = URL(fileURLWithPath: path)
    let data = try Data(contentsOf: url)
    source += "    (\"\(url.deletingPathExtension().lastPathComponent)\", \"\(data.base64EncodedString())\"),\n"
}
source += "]\n"
try Data(source.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
