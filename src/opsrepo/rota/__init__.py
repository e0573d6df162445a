"""Life on the rota: swaps and cover as overrides, who could cover, and handoff reminders.

Pure: the repo, the instants and the file texts come in; edited texts,
changes and rankings go out. Git, GitHub and the files on disk are the CLI's.
"""
