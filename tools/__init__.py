"""Project tools run at build and test time (bundle builder, launcher, shared browser settings)."""
