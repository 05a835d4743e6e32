import Foundation
import Testing

@testable import ImapLogCommand

/// The help and the parser agree: both are made from `OptionTable`, and this holds them to it.
@Suite("One option table: parsing, --help and did you mean")
struct OptionTableTests {
    private let now: Int64 = 1_795_000_000_000

    /// Every word of the help that looks like an option: `--format`, `-f`, but not `user-…` or `- for stdout`.
    private static let namesInHelp: Set<String> = {
        let text = HelpText.text
        let pattern = try? NSRegularExpression(pattern: "(?<![\\w-])--?[A-Za-z][A-Za-z-]*")
        let matches = pattern?.matches(in: text, range: NSRange(text.startIndex..., in: text)) ?? []
        return Set(matches.compactMap { Range($0.range, in: text).map { String(text[$0]) } })
    }()

    /// Every name the parser accepts, by its own account: each option's long name, short name and aliases.
    private static let acceptedNames = OptionTable.all.flatMap(\.allNames)

    /// Whether the parser knows `name`: anything but "unknown option" (a value missing, a bad value) means it does.
    private func isAccepted(_ name: String) -> Bool {
        do {
            _ = try Options.parse([name], now: now)
            return true
        } catch {
            return !error.message.hasPrefix("unknown option")
        }
    }

    @Test func everyOptionInTheHelpIsAccepted() {
        #expect(Self.namesInHelp.count >= Set(Self.acceptedNames).count)
        for name in Self.namesInHelp.sorted() {
            #expect(isAccepted(name), "the help names \(name), which the parser refuses")
        }
    }

    @Test func everyAcceptedOptionAndAliasIsInTheHelp() {
        for name in Self.acceptedNames {
            #expect(isAccepted(name), "the table names \(name), which the parser refuses")
            #expect(Self.namesInHelp.contains(name), "the parser accepts \(name), which the help does not name")
        }
    }

    @Test func everyOptionHasItsOwnLineWithItsAliases() {
        let lines = Set(HelpText.text.split(separator: "\n").map(String.init))
        for option in OptionTable.all {
            if option.section == .usage {
                #expect(HelpText.usageLines.contains { $0.contains(" \(option.name) ") }, "\(option.name)")
                continue
            }
            let own = HelpText.optionLines(option)
            #expect(own.allSatisfy(lines.contains), "\(option.name) has no lines of its own in the help")
            for alias in option.aliases {
                #expect(own.joined().contains(alias), "\(alias) is not said beside \(option.name)")
            }
            // The help's column holds: the text starts in it, after at least one space.
            let column = HelpText.helpColumn
            #expect(own.allSatisfy { $0.count > column && Array($0)[column - 1] == " " }, "\(own)")
        }
    }

    @Test func noTwoOptionsShareAName() {
        #expect(Set(Self.acceptedNames).count == Self.acceptedNames.count)
    }

    /// Near misses of `name`, each nearer to it than to any other option: a letter added, a letter doubled.
    private func nearMisses(of name: String) -> [String] {
        let letters = Array(name)
        return [name + "x", String(letters.prefix(3) + [letters[2]] + letters.dropFirst(3))]
    }

    @Test func everyOptionIsOfferedForANearMiss() {
        for name in OptionTable.all.flatMap({ [$0.name] + $0.aliases }) {
            for typo in nearMisses(of: name) {
                #expect(
                    throws: Options.UsageError(message: "unknown option '\(typo)' (did you mean \(name)?)"),
                    "\(typo)"
                ) { try Options.parse([typo], now: now) }
            }
        }
    }

    @Test func shortOptionsWithAValueTakeItJoined() throws {
        for option in OptionTable.all where option.shortName != nil {
            let short = try #require(option.shortName)
            #expect(OptionTable.shortNamesTakingValues.contains(short) == (option.valueName != nil), "\(short)")
        }
    }
}
