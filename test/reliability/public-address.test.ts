import { describe, expect, test } from "vitest";
import { addressProblem, strictWebhookTargets, urlProblem } from "../../src/lib/public-address";

const allowPrivate = { allowPrivate: true, allowHttp: false };

describe("which addresses a webhook may reach", () => {
  test("only public unicast addresses pass the strict policy", () => {
    const refused = [
      "127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "169.254.1.1",
      "100.64.0.1", "0.0.0.0", "255.255.255.255", "224.0.0.1", "192.0.2.1", "198.18.0.1", "240.0.0.1",
      "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1", "2001:db8::1",
      "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a00:1",
    ];
    for (const address of refused) expect(addressProblem(address, strictWebhookTargets), address).not.toBeNull();
    for (const address of ["93.184.215.14", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"]) {
      expect(addressProblem(address, strictWebhookTargets), address).toBeNull();
    }
    expect(addressProblem("not an address", strictWebhookTargets)).not.toBeNull();
  });

  test("allowing private addresses never allows the cloud metadata endpoints", () => {
    for (const address of ["127.0.0.1", "10.1.2.3", "192.168.0.10", "fd12::1", "::1"]) expect(addressProblem(address, allowPrivate), address).toBeNull();
    for (const address of ["169.254.169.254", "::ffff:169.254.169.254", "fd00:ec2::254", "169.254.170.2", "100.100.100.200"]) {
      expect(addressProblem(address, allowPrivate), address).toMatch(/metadata/);
    }
  });

  test("URLs: https only, and literal or well-known internal hosts in any spelling are refused", () => {
    const refused = [
      "http://example.com/", "ftp://example.com/", "https://127.0.0.1/", "https://2130706433/", "https://0x7f.1/",
      "https://0177.0.0.1/", "https://[::ffff:127.0.0.1]/", "https://[::1]:8443/", "https://localhost/", "https://LOCALHOST./",
      "https://a.b.localhost/", "https://metadata.google.internal/", "https://metadata.google.internal./", "not a url",
    ];
    for (const url of refused) expect(urlProblem(url, strictWebhookTargets), url).not.toBeNull();
    for (const url of ["https://example.com/hook", "https://93.184.215.14:8443/x", "https://[2606:4700:4700::1111]/"]) {
      expect(urlProblem(url, strictWebhookTargets), url).toBeNull();
    }
    expect(urlProblem("http://127.0.0.1:9/", { allowPrivate: true, allowHttp: true })).toBeNull();
    expect(urlProblem("https://metadata.google.internal/", { allowPrivate: true, allowHttp: true })).toMatch(/metadata/);
  });
});
