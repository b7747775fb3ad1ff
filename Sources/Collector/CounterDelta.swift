/// The increase of a kernel counter between two readings.
///
/// Counters only grow, but they wrap (32-bit fields in some files) and reset
/// (a device re-added, a module reloaded). A decrease that fits a 32-bit wrap is
/// taken as one; any other decrease is a reset and counts as no increase, so a
/// reset never shows up as an absurd spike.
public func counterDelta(from old: UInt64, to new: UInt64) -> UInt64 {
    if new >= old { return new - old }
    if old <= UInt64(UInt32.max) {
        let wrapped = (UInt64(UInt32.max) - old) + new + 1
        // A genuine wrap leaves the new reading small; a reset to near zero of a
        // counter that was small anyway looks the same and is harmless.
        if wrapped < UInt64(UInt32.max) / 2 { return wrapped }
    }
    return 0
}
