import { maskWebhookUrl, urlIsSecret } from '../../../src/notify/webhook-url';

describe('Discord and Slack webhook URLs in answers', () => {
  it('when a Discord URL is answered, then its token is masked to the last 4 characters', () => {
    const token = 'aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5zA7bC9dE1fG3hI5jK7';
    const masked = maskWebhookUrl(`https://discord.com/api/webhooks/123456789/${token}`);
    expect(masked).toBe(`https://discord.com/api/webhooks/123456789/…${token.slice(-4)}`);
    expect(masked).not.toContain(token);
  });

  it('when a Slack URL with a query is answered, then the token and the query are gone', () => {
    const masked = maskWebhookUrl('https://hooks.slack.com/services/T000/B000/XXXXXXXXsecretYYYY?x=1');
    expect(masked).toBe('https://hooks.slack.com/services/T000/B000/…YYYY');
  });

  it('when a masked url is masked again, then it stays the same', () => {
    const masked = maskWebhookUrl('https://discord.com/api/webhooks/1/abcdefghijklmnop');
    expect(maskWebhookUrl(masked)).toBe(masked);
  });

  it('when a url is a Discord or Slack webhook, then it is a credential whatever the format', () => {
    expect(urlIsSecret('standard', 'https://discord.com/api/webhooks/1/token')).toBe(true);
    expect(urlIsSecret('standard', 'https://hooks.slack.com/services/T0/B0/x')).toBe(true);
    expect(urlIsSecret('discord', 'https://chat.example.com/hook')).toBe(true);
    expect(urlIsSecret('standard', 'https://hooks.example.com/discord.com/api/webhooks/1')).toBe(false);
    expect(urlIsSecret('telegram', 'https://api.telegram.org')).toBe(false);
  });
});

describe('urls with a query or user info', () => {
  it('when a url has a query or user info, then it is a credential; a bare one is not', () => {
    expect(urlIsSecret('standard', 'https://hooks.example.com/th?token=s3cr3t')).toBe(true);
    expect(urlIsSecret('standard', 'https://ops:pa55@hooks.example.com/th')).toBe(true);
    expect(urlIsSecret('telegram', 'https://api.example.org/bot?key=k')).toBe(true);
    expect(urlIsSecret('standard', 'https://hooks.example.com/th')).toBe(false);
  });

  it('when such a url is masked, then its path stays, the query reads ?… and the user info is gone', () => {
    const masked = maskWebhookUrl('https://ops:pa55@hooks.example.com:8443/a/th?token=s3cr3t&x=1');
    expect(masked).toBe('https://hooks.example.com:8443/a/th?…');
    expect(maskWebhookUrl(masked)).toBe(masked);
    expect(maskWebhookUrl('https://ops:pa55@hooks.example.com/th')).toBe('https://hooks.example.com/th');
  });

  it('when a Discord url is masked under a chat format, then its token segment is masked as before', () => {
    expect(maskWebhookUrl('https://chat.example.com/hook/abcdefgh?x=1', 'discord')).toBe(
      'https://chat.example.com/hook/…efgh',
    );
  });
});
