/// A log template as the store keeps it.
public struct StoredTemplate: Hashable, Sendable {
    /// The template id as 16 hex digits (stable for the same template text).
    public var id: String
    public var text: String
    public var count: Int
    /// The miner's cluster number, kept across restarts.
    public var cluster: Int

    public init(id: String, text: String, count: Int, cluster: Int) {
        self.id = id
        self.text = text
        self.count = count
        self.cluster = cluster
    }
}

/// The log templates the miner has learnt, so a restart neither relearns them nor
/// reports every known message as new.
public final class TemplateStore {
    public let database: Database

    public init(database: Database) throws(Database.Failure) {
        self.database = database
        try Schema.migrate(database)
    }

    /// Replaces the saved templates with `templates`, in one transaction.
    public func save(_ templates: [StoredTemplate], at time: Double) throws(Database.Failure) {
        try database.transaction { () throws(Database.Failure) in
            try database.execute("DELETE FROM templates")
            let insert = try database.prepare("INSERT OR REPLACE INTO templates (id, source, text, count, first_seen, last_seen, cluster) VALUES (?, '*', ?, ?, ?, ?, ?)")
            for template in templates {
                try insert.bind(template.id, template.text, template.count, time, time, template.cluster).run()
            }
        }
    }

    /// Every saved template, in cluster order.
    public func load() throws(Database.Failure) -> [StoredTemplate] {
        let statement = try database.prepare("SELECT id, text, count, cluster FROM templates ORDER BY cluster")
        var templates: [StoredTemplate] = []
        while try statement.step() {
            templates.append(StoredTemplate(id: statement.text(0) ?? "", text: statement.text(1) ?? "", count: Int(statement.int(2)), cluster: Int(statement.int(3))))
        }
        return templates
    }
}
