/// What a stream's servers are called once it has ended: by server id, and by slot as a summary's key.
struct StreamServerNames {
    /// A server's name as it is logged (or renamed at the end), and lower-cased, as summaries key servers.
    struct Name {
        var lowercased: String
        var spelling: String
    }

    private let renamed: [Int32: String]
    private let spellings: DenseTable<String?>
    private let interner: Interner
    private let slots: [(server: Int32, role: Role)]
    /// The server the stream's files are from: the folder's, or the own address most rows came from.
    private let fileServer: Int32?

    init(
        renamed: [Int32: String], spellings: DenseTable<String?>, interner: Interner,
        slots: [(server: Int32, role: Role)], fileServer: Int32?
    ) {
        self.renamed = renamed
        self.spellings = spellings
        self.interner = interner
        self.slots = slots
        self.fileServer = fileServer
    }

    /// The name of server id `id`.
    subscript(_ id: Int32) -> Name {
        let spelling = renamed[id] ?? spellings[id] ?? interner.string(id)
        return Name(lowercased: spelling.lowercased(), spelling: spelling)
    }

    /// The summary's key of a slot's server.
    func key(ofSlot slot: Int) -> ServerKey {
        ServerKey(name: self[slots[slot].server].lowercased, role: slots[slot].role)
    }

    /// The spelling of the server the stream's files are from, when known.
    var fileServerSpelling: String? { fileServer.map { self[$0].spelling } }
}
