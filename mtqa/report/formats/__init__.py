"""One module per output format; each renders the JSON report dict (the contract) to text."""
