/// The text of `vigil --help`; the README documents the same flags.
enum HelpText {
    static let version = "0.1.0"

    static let usage = """
    vigil \(version): a terminal dashboard that watches this Linux server

    Usage:
      vigil [options]                  open the live dashboard (needs a terminal)
      vigil snapshot [--json] [options]
                                       take two samples one interval apart and print every signal
      vigil incidents [--all] [--json]   list open incidents (--all: resolved ones too)
      vigil show ID [--json]           one incident with its timeline
      vigil ack ID [--note TEXT]       acknowledge an incident (as your login name, or SUDO_USER)
      vigil note ID TEXT               add a note to an incident's timeline
      vigil resolve ID [--note TEXT]   resolve an incident by hand
      vigil silence SIGNAL --for D [--note TEXT]
                                       silence a signal id or glob (disk.*.util) for a while
      vigil watch [--json] [--duration D]
                                       the engine without the screen: anomalies and open
                                       incidents, a line per tick (JSON lines with --json)
      vigil score [FILE.csv|-] [-o OUT.csv] [--signal ID [--unit UNIT]]
                                       run the live detector over a timestamp,value series and
                                       write timestamp,value,anomaly_score (>= 0.5 where flagged);
                                       --signal judges it as the live engine judges that signal
                                       (its direction, floor and fixed limits)
      vigil mine [FILE|-] [--stats]    mine one message per line into templates; CSV
                                       LineId,ClusterId,Template on stdout
      vigil --help | --version

    Options:
      -i, --interval D     sampling interval: 500ms, 1s, 2s ... (default 1s, minimum 100ms)
      -c, --config FILE    configuration file (default $XDG_CONFIG_HOME/vigil/vigil.conf,
                           then /etc/vigil/vigil.conf)
          --proc-root DIR  read /proc from DIR, e.g. /host/proc inside a container (default /proc)
          --sys-root DIR   read /sys from DIR, e.g. /host/sys inside a container (default /sys)
          --theme NAME     theme name or path to a .theme file (default: default)
          --no-color       attributes only, no colour (also when NO_COLOR is set)
          --db FILE        the state database (default $XDG_STATE_HOME/vigil/vigil.db,
                           i.e. ~/.local/state/vigil/vigil.db)
          --json           with snapshot, incidents, show, watch: print JSON instead of text
          --log PATH       follow a log file or glob (repeatable; default: the readable
                           ones of /var/log/syslog, messages, auth.log, kern.log,
                           daemon.log and the nginx and apache2 access and error logs;
                           only the web servers' logs where the journal is followed)
          --from-start     read the log files whole instead of from their end
          --journal        follow the systemd journal (default: when the host has one and
                           no --log or [logs] path is given)
          --no-journal     leave the journal alone
          --journal-unit NAME
                           keep only this unit's journal entries (repeatable; nginx means
                           nginx.service)
          --journal-dir DIR
                           read the journal files in DIR (like journalctl -D), e.g. a host's
                           /var/log/journal mounted in a container
          --textfile-dir DIR
                           write DIR/vigil.prom after each tick for node_exporter's textfile
                           collector (atomically: a temporary file, then a rename)
          --alertmanager URL
                           push incidents to Alertmanager's v2 API at URL
                           (http://127.0.0.1:9093); an ack becomes a silence there
          --stats          with mine: print counts and lines/s to stderr
      -h, --help           show this help
      -V, --version        show the version

    Keys in the dashboard:
      ? F1   list every key     t  cycle themes     q F10  quit     Esc  go back
      x      in an incident: list its runbook actions and run one after a confirmation

    Configuration (see the README): [general], [dashboard], [thresholds], [incidents], [logs],
    [journal], [prometheus] (textfile_dir), [alertmanager] (url),
    [forecast] (warn_within, critical_within, limit, floor) and one [actions.NAME] section per
    runbook action: program, args = ["..."], kinds, signals, auto = yes|no, timeout. An action
    gets the incident in VIGIL_* environment variables, never on its command line.

    Exit status: 0 on success, 1 on a runtime failure, 2 on a usage or configuration error.
    """
}
