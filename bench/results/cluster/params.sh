clients=300 repeat=5 rate_seconds=10 closed_seconds=8 quick=0
