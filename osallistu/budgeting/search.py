"""Words and names as the ballot page searches and orders them."""

import unicodedata


def folded(text):
    """``text`` as search compares it: case and accents left out, so that "toolo"
    finds Töölö and "SKEITTI" skeitti."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# Finnish and Swedish put å, ä and ö after z, in that order, and read ü as y.
ALPHABET = str.maketrans({"å": "z{", "ä": "z|", "æ": "z|", "ö": "z}", "ø": "z}", "ü": "y"})


def sort_key(text):
    """A key that orders names as a Finnish or Swedish reader expects."""
    return folded(unicodedata.normalize("NFC", text).casefold().translate(ALPHABET))
