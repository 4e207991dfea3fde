"""Plan forms: the schema meta-model that checks a plan schema and points at its lines (`schema_model`, with
`json_positions` and `patterns`), who may see each field (`visibility`), and the accessible HTML form rendered from a
schema (`form_html`)."""
