// The fixed keys of the fuzz targets: TEST KEYS, generated once with JwsKey.Generate and pasted
// here so that the committed seed tokens (fuzz/corpus/validate) stay valid. They protect nothing;
// never use them outside fuzz/.
namespace Tessera.Fuzz;

internal static class FixedKeys
{
    public const string EdDsa = """
        {"kty":"OKP","use":"sig","alg":"EdDSA","kid":"fuzz-eddsa","crv":"Ed25519","x":"avfv-RX9TJPnLD_eKpYwz56WaNiAtW1xnr3a_xlEbvw","d":"dV_zQNGHKxnEli3GZtRwGbYOBa6zy4d8Ri987uWJUGI"}
        """;

    public const string Es256 = """
        {"kty":"EC","use":"sig","alg":"ES256","kid":"fuzz-es256","crv":"P-256","x":"GNgjy2ityjUHKt4OYu_g_e7mflTZrpiuf8uDl4ULbig","y":"PI_Di5-ZqVv_JcDr183PnLl0DgjXszK6PzfJiTbUl7U","d":"RAs13ggH5r0-y7lDcxmE3fItLHdx7iYYZO-mQ2XpkX4"}
        """;

    public const string Es384 = """
        {"kty":"EC","use":"sig","alg":"ES384","kid":"fuzz-es384","crv":"P-384","x":"Y5uDzj6vcNVCV373QyBB7YLDQqeP830rLSGf128t1x9qiLoFSaiJb5S6a7NEAf1u","y":"qvRwHiXfnTRQ_JJZDc0VBz-9PY5qLBMAR0BFWj2iJLmn8uHVRVHSMkkVK9pHEjDB","d":"13uvFjtnJG1mehpwDpnO4nIuANPiM1Leq8bL7lBEi71p7k1pQ5N6Nu75vhFB7H0d"}
        """;

    public const string Es512 = """
        {"kty":"EC","use":"sig","alg":"ES512","kid":"fuzz-es512","crv":"P-521","x":"ALte0uP1VmHc2VK631XvwrCulkRnQ0FCNoZROPG9zFT1amS2rnHbawkRHmADBHctAxEEtrJInfhvkURi9cq5RnZS","y":"AHl2qM9z6GbKMzW0XLdv4F82N9QhCibeuy4G3i0z1P0qg7sKz9r2E-4Hy4scWmB2NBuzFaFHQ66laEDmJVN6pt6D","d":"ABBFiZbzYqh8iHnmRowf3CyBFdhpM5Tkn2_SJ9Ml0dzBjXj5SKmlwbzNP6VlOFPRUaeZSmK4plwq-osGc9NdnyRO"}
        """;

    public const string Rs256 = """
        {"kty":"RSA","use":"sig","alg":"RS256","kid":"fuzz-rs256","n":"06GtDNVpGgBU54Re1ACYI2Qhc66j-gsP-riM8_6ebwm3j7naVcWhKrWGUqotHOHwpj7k41FGtioJseEUExSvwrgJwQd_vzJO43mTX6i1j2KXE1ijFKW7SjiXRGWtc0S4tRF0OnecXL1KGaj_Jc0iwQHTM3tamfUfLcsWVXhYyB4O8Lsq5_jVHKA_X8VAb_5Mzp5VFIlyeC99tV4VdkJG4u9uJvuiB4crKxI8X6XbVDnMKPKqUHX2P0PmYOmCzkVNWSyr8moFAJl-yrO-vGa5quQTfwmbjWtvYQ7t04wGJ1X7FQ3-f3_9Ch3BMVeOrL89Tdv5JNJ9BDaclBk0w2cuKQ","e":"AQAB","d":"GuxjGRJfXBz1sDxxWfQ3Zq066j4qA0n7_vASkonuev7X-PNyeN37GnVcgNDAi3-c_3FZ6idxYQRpFlWlmaXUlGeYahO7p0XNrnfNjWpnqrWmtaHdoWdSM-eOKvfqgJMaEoMFb9i-rjewoSIUT6lQxhAm39JOHO8Hx-ohzb7RQKgC2t3wPM6i1wc7PPFIH3CCxKOt9tZQXoB0e5PY46G3BbHA1OBj92vomj5BuN-P3H3jwpxlePe_mL8q4dBMHD1Gd5a2h_rG7Cxa2sjdeX1RlycstJQxdX5dhFb6aRRKipJNQPlOBQ9UI4mscV3hS4jxMx-oF4FFmvgyz58lbojZfw","p":"_YgDvlLPYibRysCbVMaZKOFc6HRJSGqk5WC7mwnRFTG0_xk4oNIJzYnTlD6Yg0ekCiFLK_STXuEl7xX9gnKf4U9pveByzSINwMKtYpOyPSMuuc_OLhikmxAetYXcs-BoKCZBCMzh4qp2sIeSDOcCmxQmCTRIdMD5xvgl2l67AG8","q":"1bE3bbn--uJ12V-qepmzbknwbBp-HrKlSw-1PWInJSb43PzeC4QgzkvAgf1tDvhvXo_qrDxgGDRZwmOeRmD6GV67JITaX81fmoB1AvdqQWi__mwpNARy-YIwUtScOCq_ODv9hPRUh1Fdhy6PJ5xe0uPpNRjMExgOvPV4p9sD1uc","dp":"ULV-85SrHkTbXl8oU7mRQllT2VBDkAEbE0ZTEszyOXwEcX0W8ONMaZkpuLSgmpIw32Sv6INIctjb2Zu3g1J4ISLFt8N-6Fyh4i5XQd1gzWOo2VAVA8mmhRKBpCnEE6MppTZgV6vZcO3xMMtHrEHSK4ojfaSeOETCfxu5-SVVBJM","dq":"e4J1Tgdd17ZCdUQ07a2eptU3j9P0J1wL64mFsJflljSjTF8fG7rflzzzZG6MtUVkYVx_P9OZmwPPCWq4lWcBxt4Y_m-HJC443rz2ZKOKF4oqxivP2M_lgE7-DTHzpQcYBLGvw0PRA3FExJhlh3h62ht-tADEGxkhk5exiBsvaes","qi":"cP9wrzQKlAFkFehOFO5u_7_JtQnmsIXnNP-kAKfv5AMf1lgGtBYM2eUHrU4kAgg9xSRPM8VM5X-G6VfC3-748s0CYbyXSLdFndeozEFEhKtH3mLQBecmxzP21DwBHP3BTbKoTxI96f2jBvwrEjZ_DZf8tJ-ZkSa_zvHoqgsq1KI"}
        """;

    public const string Ps256 = """
        {"kty":"RSA","use":"sig","alg":"PS256","kid":"fuzz-ps256","n":"nwXKfGyQLFY4uDAa7srtbvBG6UL_EmrrKq5469aHHPE9dCVYb6eqopSmfAhNaf3EWYogxxbDihXtwfEROYynNTSCA_JSNPvtHmN1gx6MlRPawiwVYyozNpMCUWZ-hJ2GV6nS-_SJ67A-4FcDPbtTjs5rTbvHfM7taOfsXotFS5j65VLF5ORNxqv7dZDxRmRc60ZdbZuWMo9KON4kjHKsPKLbpgm4gdKcm5J0COdu3sDShdXBqfbOy0PeYGZDn-VVojMdeyS5x5fXyPCigE2wBFx8xQPINthvcyofjzYuTm6LDqFrwqMcmoVgisEI78mc7qzwlv--1PDD014Q63SnKw","e":"AQAB","d":"Ane7iazBm_6GiM0uTdBWWOdfolUI0kdYeOQWOkqs9BUGSBwgQDNQ4Y7--mPCl8d5WY5cLdq7lBP9CYptIwB8w8WZ0ufawLm8F0Gh3DQIKHQTa_n1JwHLo6gqXAsEIZi0Mf4PqRtFXKPyhdaz1SxoAopPffhRAy3O31biAyGUJLUnvYqdBu7zpDir2MZzxVRDhvG-tuuq4KmwG543Cg6AjVLk-jC_tQ2UvR18jpMGemFp0yz0Tbc57CVEzhjOwG82LJAHZdNyF6GoxAKEZz8McU-FRj7ibsvARz0O8RnknjQnPRxbAp0ioQJshii7mtn7bU5RFh8da0EyHrmJNqoLgQ","p":"3WpGQ_ql2YwziuNYaCOn8pp1Kg698_sYLdUPfsHOG3cS7V4PFoStav1k-Bw8KKWVtLSqcxt1vVm0juxz2l8XVMhQEiycjuumfVgMUgR8Ms1qxCa72qGZOsuRhIOyLOhB-9rj626vQkG8R_JdoJM2zNSNSV7h_py1DfABtJhq3ME","q":"t9ygoL0w99W0FJSprC4OAk158H8913-RGIl76vJHRo7TkV_2IKd82FVfqLcoXchsw42DCWqgX2IoHgYK3b0p-t3dA0nJ4xls2SPLSkAL93XiOAw-MR_mE-8ABHnPl6bsgs0j69IHLJ-BeRv5Pax5ETmnO19Vfy7DzA8_LTPCgus","dp":"hhvLqXsUn1sDERm4v4LxQ8l4M9wwA6pPr9sAAqfCffI2fZ1eCCaen1IRqRH5AimhLo3LO-MjAmhmK7deSKMWD50wmoF45jwnYH5HIBplW6P-Cgbn-3mrxOfuINRfxEF9Td379OrarogAUZekTBE-vPv1A767pasnIuT_M3KqL0E","dq":"LkDzq9xMgFyjo_XORYGEhrHE9mqcPSVbdCfKI831fluZ_917RrW745R-ryv8nLM6IWvtRiYr2DMSUpNEkonvEKxV2GjswBP6XRnzH2fDWuquEVmLH8Kdl_AtOfMG9WjJ4RIIcl_w7BnocXZHGmvUPTAa0QXntUoneaNwSkfWLCc","qi":"HRbIoBgOITd7iNKvjJmok55nQ0eEC7GRyfo-9W5Bu1Pjcs7otDqq02TuxwQKR_tK6z2I2rVRdX5jziaHEgN455c88FC3r4UtZiGFO18Da0FaRgm0_OOmXZPjwn2GvjA5XcIedJdMkfEkN-lwt8S5LxVYtlEEBKuuvTeHMH7EMEU"}
        """;

    public const string Hs256 = """
        {"kty":"oct","use":"sig","alg":"HS256","kid":"fuzz-hs256","k":"AWbXK8btRbH3D5Szo8S-mkIeRaAZWod7XjmzFfnqfmE"}
        """;

    public const string Hs512 = """
        {"kty":"oct","use":"sig","alg":"HS512","kid":"fuzz-hs512","k":"aSZoH8ZWHkDgupcTzVFzqYH4tZ_ZFgCK7e8KfG8mq2yGzsp9yX30JDdI5DXYKC3cbx7jkE4DR3f_AC7Q7wmhQg"}
        """;

    /// <summary>The private JWKs of the asymmetric validator's key set (one per algorithm).</summary>
    public static readonly string[] Asymmetric = [EdDsa, Es256, Es384, Es512, Rs256, Ps256];

    /// <summary>The private JWKs of the HMAC validator's key set.</summary>
    public static readonly string[] Hmac = [Hs256, Hs512];
}
