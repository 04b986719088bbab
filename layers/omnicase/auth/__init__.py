"""People signing in: Cognito sessions for the console and the checks the API makes on their access tokens."""
