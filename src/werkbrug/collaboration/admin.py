"""No admin for this app on purpose: its rows are client data, read only through the policy
(which writes the access log). The admin would bypass both."""
