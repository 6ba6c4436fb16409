"""dekkend: youth-care procurement optimisation — instance in, plan out."""
