/// The increase of a kernel counter between two readings.
///
/// Counters only grow, but they wrap (32-bit fields in some files, every field on a
/// 32-bit kernel) and reset (a device or interface re-added, a module reloaded). A
/// decrease that fits a 32-bit wrap is taken as one; any other decrease is a reset and
/// counts as no increase, so a reset never shows up as an absurd spike.
public func counterDelta(from old: UInt64, to new: UInt64) -> UInt64 {
    if new >= old { return new - old }
    // A 32-bit counter wraps from its top quarter to a small value: the whole increase fits
    // in a quarter of its range (a gigabyte a tick, for bytes). Anything else that goes down
    // is a reset, such as a 64-bit counter near three billion starting again at ten.
    let range = UInt64(UInt32.max) + 1
    if old < range, old >= range - range / 4 {
        let wrapped = range - old + new
        if wrapped <= range / 4 { return wrapped }
    }
    return 0
}
