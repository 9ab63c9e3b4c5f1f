"""The command portal: app shell, sessions, cached query access, UI parts."""
