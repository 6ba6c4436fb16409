"""The PuLP backend: CBC (default) or any solver PuLP knows by name, under a watchdog."""
