"""The one error the console raises: a line it cannot carry out. The REPL prints it and reads on."""


class ConsoleError(Exception):
    """A console line that cannot be carried out; the message says what is accepted."""
