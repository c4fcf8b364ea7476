"""Quality judgements over findings and scores: MQM scoring, the gate, significance tests."""
