// Placeholder: replaced by the SQLite layer.
