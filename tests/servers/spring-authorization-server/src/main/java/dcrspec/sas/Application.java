package dcrspec.sas;

import java.util.UUID;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Spring Authorization Server with OpenID Connect Dynamic Client Registration switched on
 * ({@code POST /connect/register}, {@code GET /connect/register?client_id=…}), for dcrspec's
 * real-server tests. As Spring's reference documentation sets it up: registration needs an
 * access token with scope {@code client.create}, which the pre-registered client
 * {@code registrar} gets by {@code client_credentials} (see iat.sh). Clients live in memory;
 * the signing key is generated at start (Spring Boot's auto-configuration), so nothing
 * survives a restart. The issuer is {@code spring.security.oauth2.authorizationserver.issuer},
 * which run.sh sets to http://127.0.0.1:PORT.
 */
@SpringBootApplication
public class Application {

    /** The registrar's secret: a fixed test value, on loopback only. */
    static final String REGISTRAR_SECRET = "dcrspec-registrar-secret";

    public static void main(String[] args) {
        SpringApplication.run(Application.class, args);
    }

    /** The authorization server's endpoints, OIDC client registration among them. */
    @Bean
    @Order(1)
    SecurityFilterChain authorizationServer(HttpSecurity http) throws Exception {
        http.oauth2AuthorizationServer(as -> {
                    http.securityMatcher(as.getEndpointsMatcher());
                    as.oidc(oidc -> oidc.clientRegistrationEndpoint(Customizer.withDefaults()));
                })
                .authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
                // The registration endpoint reads its bearer token as a JWT of this server.
                .oauth2ResourceServer(rs -> rs.jwt(Customizer.withDefaults()));
        return http.build();
    }

    /** Only the registrar is known at start; dynamically registered clients join it. */
    @Bean
    RegisteredClientRepository registeredClientRepository() {
        RegisteredClient registrar = RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId("registrar")
                .clientSecret("{noop}" + REGISTRAR_SECRET)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scope("client.create")
                .scope("client.read")
                .build();
        return new InMemoryRegisteredClientRepository(registrar);
    }
}
