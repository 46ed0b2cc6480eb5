X = os.environ.get("TOKEN")
Y = 1 +
