"""The party control committee: complaints (web, hotline, e-mail), their cases, decisions,
sanctions and appeals, and the public register of decisions."""
