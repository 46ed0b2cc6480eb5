"""triple
