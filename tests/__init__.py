"""dekkend's tests: they mirror the packages of solver/ and api/."""
