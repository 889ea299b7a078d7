import nock from 'nock';

// No test may reach the internet: only loopback (Redis, the app under test, local fake exchanges).
nock.disableNetConnect();
nock.enableNetConnect((host) => /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host));
