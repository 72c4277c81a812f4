"""The credential authority's tool, run on the CA's own machine: one credential per member,
the public ones uploaded, the secret codes sent by SMS (`saylau ca …`)."""
