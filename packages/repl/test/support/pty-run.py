#!/usr/bin/env python3
"""Run a command on a real pseudo-terminal (80x24 unless PTY_COLS/PTY_ROWS say otherwise),
relaying this process's stdin to the terminal and the terminal's output to stdout. Used by the
REPL tests to drive the interactive shell exactly as a user at a terminal would.
Exit status: the child's."""
import fcntl, os, pty, select, struct, sys, termios

def main():
    cols = int(os.environ.get("PTY_COLS", "80"))
    rows = int(os.environ.get("PTY_ROWS", "24"))
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(sys.argv[1], sys.argv[1:])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    stdin_open = True
    while True:
        fds = [fd] + ([0] if stdin_open else [])
        try:
            ready, _, _ = select.select(fds, [], [], 0.05)
        except InterruptedError:
            continue
        if fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            if not data:
                break
            os.write(1, data)
        if stdin_open and 0 in ready:
            data = os.read(0, 65536)
            if not data:
                stdin_open = False
            else:
                os.write(fd, data)
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status >> 8)

if __name__ == "__main__":
    main()
