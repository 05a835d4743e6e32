extension Options {
    /// Parses the arguments after the program name, looking each option up in `OptionTable`.
    ///
    /// `--name value` and `--name=value`; a short option's value may be written against it (`-j2`); `--` ends
    /// the options, and `-` is standard input. `now` anchors relative times (`2h`).
    static func parse(_ arguments: [String], now: Int64) throws(UsageError) -> Options {
        var options = Options()
        options.arguments = arguments
        var index = 0
        if arguments.first == "merge" {
            options.isMerge = true
            index = 1
        } else if arguments.first == "watch" {
            options.isWatch = true
            index = 1
        }
        var onlyPaths = false
        while index < arguments.count {
            var argument = arguments[index]
            var inlineValue: String?
            if !onlyPaths, argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                inlineValue = String(argument[argument.index(after: equals)...])
                argument = String(argument[..<equals])
            } else if !onlyPaths, argument.count > 2,
                OptionTable.shortNamesTakingValues.contains(String(argument.prefix(2)))
            {
                // `-j2`, `-fjson`: a short option's value written against it, as getopt reads it.
                inlineValue = String(argument.dropFirst(2))
                argument = String(argument.prefix(2))
            }
            if onlyPaths || argument == "-" || !argument.hasPrefix("-") {
                options.paths.append(argument)
                index += 1
                continue
            }
            if argument == "--" {
                onlyPaths = true
                index += 1
                continue
            }
            guard let option = OptionTable.option(named: argument) else {
                throw UsageError(message: "unknown option '\(safe(argument))'" + OptionTable.suggestion(for: argument))
            }
            switch option.action {
            case .flag(let apply):
                apply(&options)
            case .value(_, let parse):
                let text: String
                if let inlineValue {
                    text = inlineValue
                } else {
                    index += 1
                    guard index < arguments.count else { throw UsageError(message: "\(argument) needs a value") }
                    text = arguments[index]
                }
                try parse(text, &options, now)
            }
            index += 1
        }
        try options.checkCombination()
        return options
    }

    /// Refuses options that cannot go together.
    private func checkCombination() throws(UsageError) {
        if let since, let until, since >= until {
            throw UsageError(message: "--since must be before --until")
        }
        if isMerge {
            if paths.isEmpty { throw UsageError(message: "merge needs the summary files to merge") }
            if since != nil || until != nil || !servers.isEmpty || !users.isEmpty || !commands.isEmpty
                || excludesProbes || saveSummaryPath != nil
            {
                throw UsageError(
                    message: "filters apply when the logs are summarised, not when summaries are merged")
            }
        }
        if isWatch {
            if paths.isEmpty { throw UsageError(message: "watch needs the log folders or files to follow") }
            if paths.contains("-") {
                throw UsageError(
                    message: "watch follows files and folders, not standard input: name the log folder")
            }
            if saveSummaryPath != nil || isCheck || alertPath == "-" {
                throw UsageError(
                    message: "watch shows a live screen (or, in a pipe, a JSON line each interval): "
                        + "--save-summary, --check and --alert - do not apply")
            }
            if format == .csv || format == .html {
                throw UsageError(
                    message: "watch writes a live screen, or JSON lines (--format ndjson), not \(format.rawValue)")
            }
            if outputPath != nil {
                throw UsageError(
                    message:
                        "watch writes to the terminal, or JSON lines to a pipe: redirect them (> FILE), not --output")
            }
        } else {
            if startsAtEnd { throw UsageError(message: "--since now only applies to watch (start at the logs' ends)") }
            if intervalWasSet { throw UsageError(message: "--interval only applies to watch") }
            if format == .ndjson {
                throw UsageError(message: "--format ndjson is watch's: one JSON line each interval")
            }
        }
        if redacts && saveSummaryPath != nil {
            throw UsageError(
                message:
                    "--redact applies to reports; a summary keeps the names for merging: redact when merging (imaplog merge --redact)"
            )
        }
        if outputPath != nil && saveSummaryPath != nil {
            throw UsageError(message: "--output is where a report goes; --save-summary names the summary's own file")
        }
        if alertPath == "-" && (paths.isEmpty || paths.contains("-")) {
            throw UsageError(message: "with --alert -, the alert comes on standard input: name the logs' path")
        }
    }
}
