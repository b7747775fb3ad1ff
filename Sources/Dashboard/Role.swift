/// What a piece of the screen is, so a theme can colour it.
///
/// Panels say what they draw, never which colour: the theme maps roles to colours
/// and attributes, and a monochrome terminal gets attributes only.
public enum Role: String, CaseIterable, Sendable {
    case normal
    case header
    case title
    case border
    case label
    case value
    case dim
    case ok
    case warning
    case critical
    case selected
    case gauge
    case sparkline
    case footerKey = "footer_key"
    case footerText = "footer_text"
    case message
}
