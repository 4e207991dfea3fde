"""The build record: what the last build read and wrote (`state`), so a rebuild redoes only what changed, and the
quick check that answers "nothing changed" before the rest of Passo is loaded (`freshness`)."""
