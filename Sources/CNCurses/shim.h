#ifndef VIGIL_CNCURSES_SHIM_H
#define VIGIL_CNCURSES_SHIM_H

/* Wide characters stay off unless this is defined before <ncurses.h>, and
   SwiftPM drops the -D flags pkg-config gives, so the define lives here. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>
#include <ncursesw/term.h>

/* Swift 6 rejects C globals such as stdscr, LINES and COLS as shared mutable
   state; the Dashboard reads them through these, on the main thread only. */
static inline WINDOW *vigil_stdscr(void) { return stdscr; }
static inline int vigil_lines(void) { return LINES; }
static inline int vigil_cols(void) { return COLS; }
static inline int vigil_colors(void) { return COLORS; }
static inline int vigil_color_pairs(void) { return COLOR_PAIRS; }

static inline void vigil_getmaxyx(WINDOW *win, int *rows, int *cols) {
    int y, x;
    getmaxyx(win, y, x);
    *rows = y;
    *cols = x;
}

/// Starts curses on the process's own stdin and stdout; NULL when TERM is unusable.
static inline SCREEN *vigil_newterm(void) {
    return newterm(NULL, stdout, stdin);
}

/// Columns a wide character takes; wcwidth needs _XOPEN_SOURCE, which this header sets.
static inline int vigil_wcwidth(unsigned int scalar) {
    return wcwidth((wchar_t)scalar);
}

/* Attributes built from NCURSES_BITS are not imported into Swift. */
static inline attr_t vigil_a_normal(void) { return A_NORMAL; }
static inline attr_t vigil_a_bold(void) { return A_BOLD; }
static inline attr_t vigil_a_dim(void) { return A_DIM; }
static inline attr_t vigil_a_underline(void) { return A_UNDERLINE; }
static inline attr_t vigil_a_reverse(void) { return A_REVERSE; }
static inline attr_t vigil_a_standout(void) { return A_STANDOUT; }
static inline attr_t vigil_color_pair(int pair) { return (attr_t)COLOR_PAIR(pair); }

/* Function keys are macros with arguments. */
static inline int vigil_key_f(int n) { return KEY_F(n); }

/* ---- Mouse ----------------------------------------------------------- */

/// Asks for button-1 presses and the wheel, reported at once (no click interval);
/// 0 when the terminal cannot report the mouse.
static inline int vigil_enable_mouse(void) {
    mmask_t wanted = BUTTON1_PRESSED | BUTTON4_PRESSED;
#ifdef BUTTON5_PRESSED
    wanted |= BUTTON5_PRESSED;
#endif
    mouseinterval(0);
    return mousemask(wanted, NULL) != 0;
}

/// Reads the mouse event after KEY_MOUSE: 1 a click, 2 wheel up, 3 wheel down, 0 other.
static inline int vigil_mouse_event(int *row, int *col) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    *row = event.y;
    *col = event.x;
    if (event.bstate & BUTTON4_PRESSED) return 2;
#ifdef BUTTON5_PRESSED
    if (event.bstate & BUTTON5_PRESSED) return 3;
#endif
    if (event.bstate & BUTTON1_PRESSED) return 1;
    return 0;
}

/* ---- Terminal restore on every exit path ------------------------------ */

/* Swift does not emit storage for a header's file-scope statics, so the state
   the signal paths need lives in function-local statics. */
static inline struct termios *vigil_saved_termios(int **valid) {
    static struct termios saved;
    static int saved_valid = 0;
    *valid = &saved_valid;
    return &saved;
}

static inline int *vigil_signal_pipe_fd(void) {
    static int fd = -1;
    return &fd;
}

/// Remembers the terminal modes before curses changes them, so the crash
/// path can put them back without calling into curses.
static inline void vigil_save_termios(void) {
    int *valid;
    struct termios *saved = vigil_saved_termios(&valid);
    if (tcgetattr(STDIN_FILENO, saved) == 0) {
        *valid = 1;
    }
}

/// Async-signal-safe restore: leave the alternate screen, show the cursor,
/// reset attributes and mouse reporting, and put back the saved modes. Only
/// write() and tcsetattr() are used, as a crash handler may call nothing else.
static inline void vigil_emergency_restore(void) {
    static const char reset[] =
        "\033[?1000l\033[?1002l\033[?1006l" /* mouse reporting off */
        "\033[0m\033[?25h"                  /* attributes, cursor */
        "\033[?1049l\r\n";                  /* leave alternate screen */
    ssize_t ignored = write(STDOUT_FILENO, reset, sizeof(reset) - 1);
    (void)ignored;
    int *valid;
    struct termios *saved = vigil_saved_termios(&valid);
    if (*valid) {
        tcsetattr(STDIN_FILENO, TCSANOW, saved);
    }
}

static inline void vigil_crash_handler(int sig) {
    vigil_emergency_restore();
    signal(sig, SIG_DFL);
    raise(sig);
}

/// Installs the crash path for the signals a fault or a Swift trap raises.
static inline void vigil_install_crash_handler(void) {
    int signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP };
    for (unsigned i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
        struct sigaction action;
        memset(&action, 0, sizeof(action));
        action.sa_handler = vigil_crash_handler;
        action.sa_flags = SA_RESETHAND;
        sigemptyset(&action.sa_mask);
        sigaction(signals[i], &action, NULL);
    }
}

/* ---- Signals that wake the UI loop ------------------------------------ */

static inline void vigil_signal_to_pipe(int sig) {
    int saved = errno;
    unsigned char byte = (unsigned char)sig;
    int fd = *vigil_signal_pipe_fd();
    if (fd >= 0) {
        ssize_t ignored = write(fd, &byte, 1);
        (void)ignored;
    }
    errno = saved;
}

/// Routes SIGINT, SIGTERM, SIGHUP and SIGWINCH to a byte (the signal number)
/// on the write end of a non-blocking pipe that the UI loop polls.
static inline void vigil_route_signals_to_pipe(int write_fd) {
    *vigil_signal_pipe_fd() = write_fd;
    int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGQUIT };
    for (unsigned i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
        struct sigaction action;
        memset(&action, 0, sizeof(action));
        action.sa_handler = vigil_signal_to_pipe;
        action.sa_flags = SA_RESTART;
        sigemptyset(&action.sa_mask);
        sigaction(signals[i], &action, NULL);
    }
    /* Writing to a vanished SSH pty must not kill us before we restore. */
    signal(SIGPIPE, SIG_IGN);
}

/// A non-blocking eventfd that the monitor's queue writes to wake the UI loop.
static inline int vigil_eventfd(void) {
    return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

/// The size of the controlling terminal, from TIOCGWINSZ; 0 when unknown.
static inline int vigil_terminal_size(int *rows, int *cols) {
    struct winsize size;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0) {
        *rows = 0;
        *cols = 0;
        return -1;
    }
    *rows = size.ws_row;
    *cols = size.ws_col;
    return 0;
}

/// Whether terminfo knows TERM and the terminal can address the cursor:
/// 0 when usable, 1 when TERM is unknown, 2 when it cannot position the cursor.
static inline int vigil_terminal_capable(const char *term) {
    int err = 0;
    if (setupterm(term, STDOUT_FILENO, &err) != OK) {
        return 1;
    }
    char *cup = tigetstr("cup");
    int capable = (cup != NULL && cup != (char *)-1);
    del_curterm(cur_term);
    return capable ? 0 : 2;
}

#endif
