"""What agents do to cases (application services; the API's routes parse, call one of them and map the answer):
open a case for a walk-in or a call through intake's own rules, tell the customers of a fixed problem."""
