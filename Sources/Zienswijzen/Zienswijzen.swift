// Placeholder: replaced by the application module.
