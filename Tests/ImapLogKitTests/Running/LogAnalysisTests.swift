import Foundation
import SampleLogKit
import Testing

@testable import ImapLogDiagnosis
@testable import ImapLogKit
@testable import ImapLogReport

@Suite("Whole runs: parallel and merged")
struct LogAnalysisTests {
    @Test func parallelRunsGiveExactlyTheSequentialResult() {
        let plan = InputDiscovery.plan(paths: [TestSupport.sampleLogs])
        var one = AnalysisOptions()
        one.workerCount = 1
        var two = AnalysisOptions()
        two.workerCount = 2
        let a = LogAnalysis.run(plan: plan, options: one).summary
        let b = LogAnalysis.run(plan: plan, options: two).summary
        #expect(a == b)
        #expect(ReportBuilder().build(a) == ReportBuilder().build(b))
        #expect(a.records > 10_000 && TestSupport.linesAddUp(a))
    }

    /// One stream is parsed on a second thread and counted on the first: the same summary as one thread,
    /// for every sample server folder, archives, Exchange 2010 logs, a damaged .gz and standard input.
    @Test func aSingleStreamOnTwoThreadsGivesTheSingleThreadedResult() throws {
        let folder = TestSupport.temporaryFolder()
        defer { TestSupport.remove(folder) }
        let gz = TestSupport.sampleLogs + "/05-collected-archives/MBX02/IMAP4BE2026112010-1.LOG.gz"
        var damaged = Array(try Data(contentsOf: URL(fileURLWithPath: gz)))
        for i in (damaged.count / 2)..<(damaged.count / 2 + 32) { damaged[i] ^= 0x5A }
        TestSupport.write(damaged, to: folder + "/MBX02/IMAP4BE2026112010-1.LOG.gz")
        let plain = TestSupport.sampleLogs + "/02-mbx02-refusing-logons/MBX02/IMAP4BE2026111709-1.LOG"
        TestSupport.write(
            Array(try Data(contentsOf: URL(fileURLWithPath: plain))), to: folder + "/MBX02/IMAP4BE2026112009-1.LOG")
        var paths = try FileManager.default.contentsOfDirectory(atPath: TestSupport.sampleLogs)
            .filter { $0.first?.isNumber == true }
            .flatMap { story in
                try FileManager.default.contentsOfDirectory(atPath: TestSupport.sampleLogs + "/" + story)
                    .map { TestSupport.sampleLogs + "/" + story + "/" + $0 }
            }
        paths.append(folder + "/MBX02")
        #expect(paths.count > 20)
        var one = AnalysisOptions()
        one.workerCount = 1
        var two = AnalysisOptions()
        two.workerCount = 2
        for path in paths {
            let plan = InputDiscovery.plan(paths: [path])
            guard plan.streams.count == 1 else { continue }
            let a = LogAnalysis.run(plan: plan, options: one)
            // Rows' facts read on the parsing thread or the counting thread, or batch by batch.
            for rowsAhead in [AnalysisOptions.RowsAhead.always, .never, .whenCountingLags] {
                two.readsRowsAhead = rowsAhead
                let b = LogAnalysis.run(plan: plan, options: two)
                #expect(a.summary == b.summary, "\(path), \(rowsAhead)")
                #expect(a.problems.map(\.message) == b.problems.map(\.message), "\(path)")
            }
        }
        two.readsRowsAhead = .whenCountingLags
        // Standard input: the same bytes through a descriptor, plain (read where it is parsed), gzipped and
        // UTF-16 (decoded on a thread of their own): the same summary each way.
        let stdinPlan = InputDiscovery.plan(paths: ["-"])
        let text = Array(try Data(contentsOf: URL(fileURLWithPath: plain)))
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in String(decoding: text, as: UTF8.self).utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        var byKind: [Summary] = []
        for (kind, bytes) in [("plain", text), ("gzip", Archiver.gzip(text)), ("utf16", utf16)] {
            let path = folder + "/stdin-" + kind
            TestSupport.write(bytes, to: path)
            var results: [Summary] = []
            for options in [one, two] {
                guard case .success(let fd) = Platform.openForReading(path) else { Issue.record("cannot open"); return }
                results.append(LogAnalysis.run(plan: stdinPlan, options: options, standardInput: fd).summary)
                Platform.close(fd)
            }
            #expect(results[0] == results[1] && results[0].records > 0, "\(kind)")
            byKind.append(results[1])
        }
        #expect(byKind[0].records == byKind[1].records && byKind[0].records == byKind[2].records)
        for kind in [("plain", false), ("gzip", true), ("utf16", true)] {
            guard case .success(let fd) = Platform.openForReading(folder + "/stdin-" + kind.0) else { return }
            let sniffing = SniffingByteSource(
                inner: DescriptorByteSource(borrowing: fd, name: "standard input"), path: "-", detectsGzip: true)
            #expect(try sniffing.isDecoding() == kind.1, "\(kind.0)")
            Platform.close(fd)
        }
    }

    /// A stream whose back ends show only in proxy rows without context counts them alike on two threads.
    ///
    /// The parsing thread reads each row's facts ahead, except those rows': the counting thread reads them when
    /// the back end is new.
    @Test func backEndsNamedOnlyByProxyRowsCountTheSameOnTwoThreads() throws {
        var text =
            "#Fields: dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context\n"
        for n in 0..<40 {
            let session = String(format: "%016X", 0x100 + n)
            let start = "2026-11-17T09:\(String(format: "%02d", n)):00.000Z,\(session),"
            let peer = ",10.0.1.11:993,10.20.0.\(n):5000,u\(n)@contoso.com,"
            text += start + "1" + peer + ",,,OpenSession,,\n"
            // The back end changes within a session every tenth time.
            for k in 0..<3 {
                let host = n % 10 == 0 && k == 2 ? "MBX09" : "MBX0\(n % 3 + 1)"
                text +=
                    start + "\(k + 2)" + peer
                    + "30000,10,20,\(k == 1 ? "PROXY" : "proxy"),\(host).contoso.com:1993:SSL,\n"
            }
            text += start + "9" + peer + "5,1,2,CloseSession,,\n"
        }
        let folder = TestSupport.temporaryFolder()
        defer { TestSupport.remove(folder) }
        TestSupport.write(Array(text.utf8), to: folder + "/stdin")
        var results: [Summary] = []
        for (workers, rowsAhead) in [(1, AnalysisOptions.RowsAhead.never), (2, .always), (2, .never)] {
            var options = AnalysisOptions()
            options.workerCount = workers
            options.readsRowsAhead = rowsAhead
            guard case .success(let fd) = Platform.openForReading(folder + "/stdin") else {
                Issue.record("cannot open"); return
            }
            results.append(
                LogAnalysis.run(plan: InputDiscovery.plan(paths: ["-"]), options: options, standardInput: fd).summary)
            Platform.close(fd)
        }
        #expect(results[0] == results[1] && results[0] == results[2])
        let backEnds = Set(results[1].servers.keys.filter { $0.role == .backEnd }.map(\.name))
        #expect(backEnds == ["mbx01.contoso.com", "mbx02.contoso.com", "mbx03.contoso.com", "mbx09.contoso.com"])
    }

    @Test func aStreamThatTakesASpareCoreMidwayGivesTheSingleThreadedResult() throws {
        // A stream read alone switches to parsing on a second core at a file boundary, whenever one turns
        // spare: at the first file, the second, …, or never. Every switching point must give the same summary.
        for story in ["02-mbx02-refusing-logons/CAS01", "05-collected-archives/MBX02", "06-edge-cases/CAS01"] {
            let plan = InputDiscovery.plan(paths: [TestSupport.sampleLogs + "/" + story])
            let stream = try #require(plan.streams.first)
            #expect(stream.count >= 2, "\(story)")
            let (plain, plainProblems) = LogAnalysis.analyse(
                stream: stream, options: .init(), standardInput: Platform.standardInput)
            for switchAt in 1...(stream.count + 1) {
                let spare = SpareCores(spareAtTake: switchAt)
                let (summary, problems) = LogAnalysis.analyse(
                    stream: stream, options: .init(), standardInput: Platform.standardInput, spareCores: spare)
                #expect(summary == plain, "\(story), switching at file \(switchAt)")
                #expect(problems.map(\.message) == plainProblems.map(\.message))
                // The core taken is handed back.
                if switchAt <= stream.count { #expect(spare.take()) }
            }
        }
    }

    @Test func summariesOfPartsMergeIntoTheSummaryOfTheWhole() throws {
        let stories = ["01-quiet-morning", "02-mbx02-refusing-logons", "03-slow-mbx03"].map {
            TestSupport.sampleLogs + "/" + $0
        }
        let whole = LogAnalysis.run(plan: InputDiscovery.plan(paths: stories), options: .init()).summary
        var merged = Summary()
        for story in stories {
            merged.merge(LogAnalysis.run(plan: InputDiscovery.plan(paths: [story]), options: .init()).summary)
        }
        #expect(ReportBuilder().build(merged) == ReportBuilder().build(whole))
        // And the encoded summary survives a round trip.
        let data = try JSONEncoder().encode(merged)
        #expect(try JSONDecoder().decode(Summary.self, from: data) == merged)
    }

    @Test func standardInputGivesTheSameCountsAsTheFolder() throws {
        let folder = TestSupport.sampleLogs + "/02-mbx02-refusing-logons"
        let plan = InputDiscovery.plan(paths: [folder])
        let fromFolder = LogAnalysis.run(plan: plan, options: .init()).summary
        var bytes: [UInt8] = []
        for input in plan.inputs {
            guard case .file(let path) = input.location else { continue }
            bytes += try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        }
        let fromPipe = LogAnalysis.analyse(bytes: bytes)
        #expect(fromPipe.lines == fromFolder.lines && fromPipe.records == fromFolder.records)
        #expect(fromPipe.headerLines == fromFolder.headerLines && fromPipe.skipped == fromFolder.skipped)
        #expect(fromPipe.commands == fromFolder.commands)
        #expect(fromPipe.errors.mapValues(\.count) == fromFolder.errors.mapValues(\.count))
    }
}
