"""Personal data: detect ID, mobile and bank-card numbers; mask names (SPEC 4)."""
