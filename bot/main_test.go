package bot

// testToken is a well-formed token for the bot tests' test servers.
const testToken = "123456789:TESTtoken_abcdefghijklmnopqrstuv"
