X = "never closed
