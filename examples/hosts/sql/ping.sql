-- The preflight's check: the server answers and the login works.
SELECT @@VERSION
GO
