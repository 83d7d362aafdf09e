"""Rule files (data only): one YAML file per clause category; see README.md."""
