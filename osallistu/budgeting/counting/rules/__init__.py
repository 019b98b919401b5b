"""The counting rules: greedy, the Method of Equal Shares and sequential Phragmén."""
