-- wrk script: simple Facebook publish requests against herald-sandbox.
wrk.method = "POST"
wrk.path = "/v21.0/104000000000001/feed"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "message=Benchmark+post&access_token=sandbox-fb-corner-cleaners"
