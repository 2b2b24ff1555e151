"""The one exception the evidence layer raises for problems a person can fix."""


class EvidenceError(Exception):
    """A problem with the user's input or the store's contents, worded for the user.

    The message names the file, row, column or value at fault and what was expected, so the
    command line can print it as it is and exit non-zero.
    """
