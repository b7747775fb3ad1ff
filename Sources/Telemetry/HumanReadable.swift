/// Numbers as an operator reads them on a narrow screen: `1.2G`, `37%`, `3d 04:12`.
public enum HumanReadable {
    /// Bytes with a binary suffix (K, M, G, T), at most four significant characters.
    public static func bytes(_ value: Double) -> String {
        let units = ["B", "K", "M", "G", "T", "P"]
        var scaled = value
        var index = 0
        while abs(scaled) >= 1024 && index < units.count - 1 {
            scaled /= 1024
            index += 1
        }
        if index == 0 { return "\(Int(scaled))B" }
        if abs(scaled) >= 100 { return "\(Int(scaled.rounded()))\(units[index])" }
        return "\(fixed(scaled, decimals: abs(scaled) >= 10 ? 0 : 1))\(units[index])"
    }

    public static func bytes(_ value: UInt64) -> String {
        bytes(Double(value))
    }

    /// A count or rate with a decimal suffix (k, M, G): `7`, `0.5`, `812`, `1.2k`, `34k`, `5.6M`.
    public static func count(_ value: Double) -> String {
        guard value.isFinite else { return fixed(value, decimals: 0) }
        if abs(value) < 10, value != value.rounded() { return fixed(value, decimals: 1) }
        let units = ["", "k", "M", "G", "T"]
        var scaled = value
        var index = 0
        while abs(scaled) >= 999.5 && index < units.count - 1 {
            scaled /= 1000
            index += 1
        }
        if index == 0 { return fixed(scaled, decimals: 0) }
        return "\(fixed(scaled, decimals: abs(scaled) >= 9.95 ? 0 : 1))\(units[index])"
    }

    /// A percentage with no decimals at or above 10, one below.
    public static func percent(_ value: Double) -> String {
        value >= 9.95 || value == 0 ? "\(Int(value.rounded()))%" : "\(fixed(value, decimals: 1))%"
    }

    /// Uptime as `3d 04:12` or `04:12:09`.
    public static func uptime(_ seconds: Double) -> String {
        let whole = max(0, Int(seconds))
        let days = whole / 86_400
        let hours = (whole % 86_400) / 3600
        let minutes = (whole % 3600) / 60
        let secs = whole % 60
        if days > 0 {
            return "\(days)d \(twoDigits(hours)):\(twoDigits(minutes))"
        }
        return "\(twoDigits(hours)):\(twoDigits(minutes)):\(twoDigits(secs))"
    }

    /// A value with a fixed number of decimals, without Foundation's formatters.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (abs(value) * scale).rounded()
        let sign = value < 0 && rounded != 0 ? "-" : ""
        guard rounded < 9.0e18 else { return "\(value)" }
        let integer = UInt64(rounded)
        let whole = integer / UInt64(scale)
        if decimals == 0 { return "\(sign)\(whole)" }
        var fraction = String(integer % UInt64(scale))
        while fraction.count < decimals { fraction = "0" + fraction }
        return "\(sign)\(whole).\(fraction)"
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
