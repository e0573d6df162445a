"""Catalog entries for codes the loader and the schema check raise."""

from opsrepo.rules import describe

for _code, _name, _summary in (
    ("OPS001", "not-utf8", "The file is not UTF-8."),
    ("OPS002", "yaml-syntax", "The YAML does not parse."),
    ("OPS003", "duplicate-key", "A mapping repeats a key (YAML would keep only the last)."),
    ("OPS004", "unquoted-time", "An unquoted time like 9:00 is read by YAML 1.1 as a number."),
    ("OPS005", "yaml11-boolean", "An unquoted yes/no/on/off is read as a boolean where text is expected."),
    ("OPS006", "alias-bomb", "Aliases expand beyond the bound, or an alias contains itself."),
    ("OPS007", "empty", "The file or its front matter is empty."),
    ("OPS008", "too-large", "The file is larger than 1 MiB."),
    ("OPS009", "several-documents", "The file holds several YAML documents."),
    ("OPS010", "front-matter", "A Markdown file lacks a closed YAML front matter block."),
    ("OPS011", "yaml-tag", "The YAML uses a tag opsrepo does not accept."),
    ("OPS012", "complex-key", "A mapping key is a list or a mapping."),
    ("OPS013", "unreadable", "The file cannot be read."),
    ("OPS014", "too-deep", "Collections nest more than 100 levels deep."),
    ("OPS015", "symlink", "The file is a symbolic link (opsrepo never follows links)."),
    ("OPS016", "number-range", "A number is not finite (.nan, .inf) or has more than 15 digits."),
    ("OPS101", "unknown-key", "A key the schema does not know (with a did-you-mean)."),
    ("OPS102", "missing-key", "A required key is missing."),
    ("OPS103", "wrong-type", "A value has the wrong type."),
    ("OPS104", "not-allowed", "A value is not one of the allowed words."),
    ("OPS105", "bad-format", "A value does not have the required format (ids, durations, times, dates)."),
    ("OPS106", "bad-size",
     "A list is empty or repeats a value, a number is out of range, or a text is too long."),
    ("OPS199", "schema", "Another schema violation."),
    ("OPS211", "timezone", "A timezone is not an IANA name."),
    ("OPS212", "bad-date", "A date, date-time or instant does not exist on the calendar."),
    ("OPS202", "duplicate-id", "Two objects of one kind share an id."),
):
    describe(_code, _name, _summary)
