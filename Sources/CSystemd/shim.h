#ifndef VIGIL_CSYSTEMD_SHIM_H
#define VIGIL_CSYSTEMD_SHIM_H

#include <systemd/sd-journal.h>

/// SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM as one value: the journal files of this
/// machine's system services and kernel that the caller may read.
static inline int vigil_sd_journal_local_system(void) {
    return SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM;
}

#endif
