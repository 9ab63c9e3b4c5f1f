"""`python -m portal.auth …`: the user administration command line (see portal.auth.admin)."""

from portal.auth.admin import main

raise SystemExit(main())
